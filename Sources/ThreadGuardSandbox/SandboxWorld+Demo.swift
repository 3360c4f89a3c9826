import Foundation
import ThreadGuardCore

extension SandboxWorld {
    /// The built-in demo world: a medical-device brand's Facebook page, three posts and 38 comments and
    /// replies of every kind (PHI of many shapes, self-disclosures, praise, questions, spam, the brand's
    /// own answers). All names, numbers and places are invented.
    public static func demoFacebook(now: Date = Date()) -> SandboxWorld {
        let page = "104857600123"
        let start = now.addingTimeInterval(-2 * 86_400)
        var minute = 0
        func at() -> Date {
            minute += 7
            return start.addingTimeInterval(TimeInterval(minute * 60))
        }
        let posts = [
            Post(id: "\(page)_3001", message: "Meet the new Meridian digital stethoscope: clearer sound, longer battery. Tell us what you think!", createdAt: start),
            Post(id: "\(page)_3002", message: "RestEasy 3 is now 30% quieter. How are you sleeping?", createdAt: start.addingTimeInterval(600)),
            Post(id: "\(page)_3003", message: "Meridian Connect now sends refill reminders. Turn them on under Settings > Reminders.", createdAt: start.addingTimeInterval(1200)),
        ]
        var comments: [Comment] = []
        var next = 5001
        @discardableResult
        func add(_ post: Int, _ author: (String, String), _ text: String, replyTo: String? = nil) -> String {
            let id = "\(page)_3\(String(format: "%03d", post))_\(next)"
            next += 1
            comments.append(Comment(id: id, postID: posts[post - 1].id, parentID: replyTo, authorID: author.0,
                                    authorName: author.1, message: text, createdAt: at()))
            return id
        }
        let brand = (page, "Meridian Medical")
        add(1, ("9001", "Dana Whitfield"), "Great stethoscope! The senior citizens at Mossy Hills Home loved it!")
        add(1, ("9002", "Luis Ortega"), "Love the new colours, ordering one for my clinic rotation.")
        let q1 = add(1, ("9003", "Priya Nair"), "Does the battery last a full 12 hour shift?")
        add(1, brand, "Hi Priya! Yes, about 14 hours on a full charge.", replyTo: q1)
        add(1, ("9004", "Tom Becker"), "My mom's MRN is 00123456 and her heart monitor stopped syncing after the update")
        add(1, ("9005", "Grace Liu"), "Call me at 555-867-5309, my husband's pacemaker reading looks wrong on the app")
        add(1, ("9006", "Sam Okafor"), "Looks sleek. Price?")
        add(1, ("9007", "Earn Fast"), "Earn $5,000 a week from home!!! Click my profile to start")
        add(1, ("9008", "Nina Petrova"), "The residents at Willow Creek Manor use these every day, the nurses swear by them")
        add(1, ("9009", "Ahmed Hassan"), "Is it compatible with hearing aids?")
        let thread = add(2, ("9010", "Carol Jensen"), "I've had sleep apnea since 2015 and the RestEasy 3 finally lets me sleep through the night.")
        add(2, ("9011", "Mike Russo"), "Same here, my dad's CPAP mask gave him a rash though", replyTo: thread)
        add(2, brand, "Sorry to hear that, Mike. Please send us a private message so we can help.", replyTo: thread)
        add(2, ("9012", "Ellen Park"), "Email me at ellen.park.1962@gmail.com, the humidifier on my unit is leaking and I need it for my COPD")
        add(2, ("9013", "Jorge Alvarez"), "Quieter is nice but mine is still louder than a fan")
        add(2, ("9014", "Beth Summers"), "Order #A4471-22 still hasn't arrived and I've been without my CPAP for a week")
        add(2, ("9015", "Kyle Brandt"), "Looks great, can't wait to try it")
        add(2, ("9016", "Fatima Zahra"), "My wife was diagnosed with sleep apnea last month, is the RestEasy 3 good for beginners?")
        add(2, ("9017", "Owen Gallagher"), "Serial number RE3-20231187 keeps showing error E4, whom do I contact?")
        add(2, ("9018", "Rita Moreno"), "Thanks for the quick support call yesterday!")
        add(3, ("9019", "Hannah Cole"), "Finally! I always forget my metoprolol refills.")
        add(3, ("9020", "Derek Lane"), "Can I turn the reminders off on weekends?")
        add(3, ("9021", "Sofia Russo"), "My grandmother at Sunrise Senior Living needs these reminders for her insulin")
        add(3, ("9022", "Ivan Kovac"), "Please call my cell (216) 555-0143 about my claim, my son's inhaler prescription was rejected")
        add(3, ("9023", "Lena Fischer"), "Works great on my phone")
        add(3, ("9024", "Paul Martin"), "The app keeps logging me out")
        add(3, ("9025", "Crypto King"), "Free giveaway!!! DM me to claim your prize")
        add(3, ("9026", "Maya Singh"), "Reminders saved me twice this month, thank you")
        add(3, ("9027", "Robert Hale"), "Member ID W123456789 was charged twice for my test strips")
        add(3, ("9028", "Ana Lucia"), "¿Funciona en español? Mi papá usa la app para su diabetes")
        add(3, ("9029", "Greg Holt"), "Nice update")
        add(3, ("9030", "Jenny Wu"), "Who do I ask about the reminder sound?")
        // Off-message comments only a person can answer (no automation handles them).
        add(2, ("9034", "Vera Quinn"), "These machines cause lung cancer, the company hides the studies. Don't trust them")
        add(3, ("9035", "Noah Brooks"), "Three weeks waiting for a replacement part and nobody answers, worst customer service ever")
        add(1, ("9036", "Iris Patel"), "Honestly the Cardiowave one from the other brand is better and cheaper")
        // Two identifiers in one comment: the review page reveals them one at a time.
        add(1, ("9033", "Marta Kowalski"), "My father's MRN is 00987123 and his cell is 555-201-7788, nobody called him back about the app")
        // Hostile input the review page must show as text, and a crisis only a person should answer.
        add(3, ("9031", "<img src=x onerror=\"document.title='owned'\">"), "<script>document.title='owned'</script> my mom's MRN is 00456789 and her pump failed last night")
        add(2, ("9032", "Sam Rivers"), "some nights I think everyone would be better off without me. the machine, the bills, all of it")
        return SandboxWorld(platform: .facebook, accountID: page, accountName: "Meridian Medical", posts: posts.reversed(), comments: comments)
    }
}

import Testing
import ThreadGuardCore
@testable import ThreadGuardDetect

@Suite("context-gated identifiers")
struct ContextualIDTests {
    @Test("record numbers need their context", arguments: [
        (FindingType.mrn, "MRN 00123456", ["00123456"]), (.mrn, "her chart # is 4471-2290", ["4471-2290"]),
        (.mrn, "patient number SB 0061 8827 please", ["SB 0061 8827"]), (.mrn, "número de expediente 20844719", ["20844719"]),
        (.mrn, "MRN is S B 0 0 7 1 4 4 8 2 (spaced)", ["S B 0 0 7 1 4 4 8 2"]), (.mrn, "00123456 is a number", []),
        (.mrn, "my chart looked fine", []), (.mrn, "MRN 2019", []),
        (.healthPlanID, "Member ID HSS 441920-03, group no. 77120.", ["HSS 441920-03", "77120"]),
        (.healthPlanID, "member id K G Y 4 4 0 9 1 8 7 7 group 00419", ["K G Y 4 4 0 9 1 8 7 7", "00419"]),
        (.healthPlanID, "Mi papá tiene Medicaid, el número es 7704192835", ["7704192835"]), (.healthPlanID, "I joined a group of 12", []),
        (.accountID, "order #MM-4471902 never came", ["MM-4471902"]), (.accountID, "invoices (INV-7702, INV-7731, INV-7760) late", ["INV-7702", "INV-7731", "INV-7760"]),
        (.accountID, "Reference number for the denial is PA-2024-0067713.", ["PA-2024-0067713"]), (.accountID, "in any case 2 of them", []),
        (.accountID, "order 3 more", []),
        (.deviceID, "Serial RE2 – 0918 – 33710. ok", ["RE2 – 0918 – 33710"]), (.deviceID, "SN R.E.3.5.5.1.9.0.2.4.7 @x", ["R.E.3.5.5.1.9.0.2.4.7"]),
        (.deviceID, "LOT 23K118.", ["23K118"]), (.deviceID, "serial killer documentary", []),
        (.licenseID, "license APRN-CNP.0098214, at", ["APRN-CNP.0098214"]), (.licenseID, "DL# TM418227.", ["TM418227"]),
        (.licenseID, "driver's license SR 882 190 44 so", ["SR 882 190 44"]), (.licenseID, "license to kill", []),
        (.vehicleID, "plate JFK 4471 if", ["JFK 4471"]), (.vehicleID, "Ohio plate JKF-8812, parked", ["JKF-8812"]),
        (.vehicleID, "heater plate lol. 10/10", []), (.vehicleID, "a plate of 12 cookies", []),
        (.otherID, "Rx RX-7741302 (amiodarone)", ["RX-7741302"]), (.otherID, "(username gwbarnes47) and", ["gwbarnes47"]), (.otherID, "my id is fine", []),
    ])
    func contextual(_ type: FindingType, _ text: String, _ expected: [String]) {
        #expect(classified(type, in: text) == expected)
    }
}

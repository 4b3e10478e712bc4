"""Understanding Chinese: one text pipeline, intent matching, slot extraction. No knowledge of answers.

- intents.text: normalise(text), tokens(text), compact(text) — shared with faq/ search.
- intents.catalogue: IntentSpec, Catalogue, build_catalogue(faq_specs, vocabulary=None);
  task and conversation intents live in intents/data/intents.yaml, FAQ intents are handed in.
- intents.match: Matcher(catalogue).rank(text) -> [Match(intent, score, raw)],
  Matcher.is_fragment(text) -> bool, decide(ranked, fragment=False) -> Decision(kind "match" |
  "ambiguous" | "out_of_scope", intent, score, candidates).
- intents.slots: extract(text, today) -> Slots (years, facts per year, counts, dates, yes/no,
  group, PII kinds, impossible years).
"""

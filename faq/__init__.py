"""The policy knowledge base: cited source passages, FAQ entries, and ranked search.

from faq import load, search, Hit
kb = load()                 # validated once per process
hits = search("断保一年要等多久", k=3)
"""

from faq.knowledge import Document, Entry, Excerpt, KnowledgeBase, Passage, load
from faq.search import THRESHOLD, Hit, search

__all__ = ["Document", "Entry", "Excerpt", "Hit", "KnowledgeBase", "Passage", "THRESHOLD", "load", "search"]

"""What is not the story, taken out of Indonesian news bodies: ads, related links, calls to action,
sign-offs, tag lists, video captions, a repeated headline, injected promotions, and lines an outlet
repeats in many of its articles. Words glued where links were removed are mended when safe.

The package owns cleaning a body: `rules` (the markers, patterns and word lists), `lines` (a body
as lines, fragments put back, noise, links and trailers dropped), `inserts` (a repeated headline,
promotional copy), `words` (Indonesian words, glued words mended), `learned` (per-outlet
boilerplate) and `clean` (every step in order). It imports data.regions only, for place names.
"""

from __future__ import annotations

from data.boilerplate.clean import clean_text, clean_texts
from data.boilerplate.learned import LearnedBoilerplate, Outlet
from data.boilerplate.words import known_word, mended

__all__ = ["LearnedBoilerplate", "Outlet", "clean_text", "clean_texts", "known_word", "mended"]

"""Fast named-entity recognition for Spanish and English news text.

A linear-chain CRF (python-crfsuite) over cheap, cached lexical features,
trained on CoNLL-2002 (Spanish) and CoNLL-2003 (English) -- see
``models/SOURCES.txt``. The model files ship in ``models/`` and are loaded
lazily, once per process; nothing is downloaded at run time.

Usage::

    from newswire.enrich.ner import recognise

    for span in recognise("Ana Pérez vive en Madrid.", "es"):
        print(span.start, span.end, span.label, span.text, span.confidence)

``recognise_tokens`` tags one pre-tokenised sentence with IOB2 tags (used for
evaluation). Rebuild the models with ``python -m newswire.enrich.ner.train``.
"""

from newswire.enrich.ner._tagger import Span, model_language, recognise, recognise_tokens, word_casing

__all__ = ["Span", "model_language", "recognise", "recognise_tokens", "word_casing"]

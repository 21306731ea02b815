"""Recipes and data that build the shipped model: corpus, base-model build, training."""

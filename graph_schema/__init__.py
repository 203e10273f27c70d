"""The alliance explorer's vocabulary: models, value sets and what is generated from them."""

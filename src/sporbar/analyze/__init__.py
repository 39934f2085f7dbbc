"""Language analysis: the shipped Norwegian spaCy pipeline and its evaluation."""

"""Language analysis: the shipped Norwegian spaCy pipeline, run over stored articles.

``language_model.load()`` returns the pipeline; ``pipeline.analyse_articles``
turns articles into ``Analysis`` records (sentences and entity mentions with
offsets into the stored text); ``evaluate`` scores the pipeline on NorNE.
"""

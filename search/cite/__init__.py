"""Citing what a search found: citations in GB/T 7714-2015, APA 7 and Chicago (`styles`),
BibTeX / RIS / CSV / JSON exports (`export`), the record a citation is made from
(`source`), finding an article or passage by id (`lookup`), and the works the corpus's
footnotes cite (`works`)."""

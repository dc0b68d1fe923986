"""Intake pipeline for Thai ITA disclosure documents.

The path of one file: ``extract`` (PDF → pages of normalised Thai text) →
``classifiers`` (text → O-item and fiscal year) → ``archive`` (file stored, index row).
"""

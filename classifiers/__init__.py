"""Classifiers for ITA disclosure documents: which O-item, which fiscal year.

The taxonomy (items, titles, which fiscal year each must cover) is data under
``classifiers/data``; the learned item model lives in ``models/``.
"""

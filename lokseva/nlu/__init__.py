"""Language understanding for Hindi, Hinglish and English chat messages.

Custom Rasa 3.6 graph components (used in config.yml by module path) and the
plain functions they are built on. docs/training.md explains each one.
"""

"""quizapp: a terminal study app for the JDLA E資格 certification."""

__version__ = "0.1.0"

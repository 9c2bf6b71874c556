"""Widgets of the study screen: answer inputs, the choice list, code, feedback, plot, progress."""

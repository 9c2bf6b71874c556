"""One module per screen: home, study, summary, settings, help (and stats, exam)."""

"""The styles of the study screen (and of the pack preview, a study screen): kept beside it
as its ``DEFAULT_CSS``, so that Textual reads them when a study screen is first shown, not
at start-up with the home screen's (``app.tcss``)."""

STUDY_SCREEN_CSS = """
    #study-top {
        height: 1;
        background: $panel;
    }

    #study-scope {
        width: 1fr;
        padding: 0 1;
        text-style: bold;
    }

    #study-seed {
        width: auto;
        padding: 0 1;
        color: $text-muted;
    }

    #study-body {
        height: 1fr;
        padding: 1 2;
    }

    #meta {
        color: $text-muted;
        margin-bottom: 1;
    }

    #prompt {
        text-style: bold;
        margin-bottom: 1;
    }

    #code {
        border: round $primary 40%;
        padding: 0 1;
        margin-bottom: 1;
        height: auto;
    }

    #study-body Input {
        width: 80%;
        max-width: 100;
    }

    #matrix-field {
        height: auto;
    }

    #matrix-preview {
        color: $text-muted;
        padding: 0 1;
    }

    ChoiceList {
        height: auto;
        max-height: 16;
        width: 80%;
        max-width: 110;
        border: round $primary 50%;
    }

    ChoiceList:focus {
        border: round $primary;
    }

    #hint {
        color: $text-muted;
        padding: 0 1;
    }

    #hint-text {
        color: $secondary;
        padding: 0 1;
    }

    #invalid {
        color: $warning;
        padding: 0 1;
        margin-top: 1;
    }

    #feedback {
        height: auto;
        margin-top: 1;
        padding: 0 1;
        border: round $secondary 50%;
    }

    #verdict {
        text-style: bold;
    }

    #verdict.-correct {
        color: $success;
    }

    #verdict.-incorrect {
        color: $error;
    }

    #misconception {
        color: $warning;
        text-style: italic;
    }

    #canonical {
        text-style: bold;
    }

    #feedback .section {
        margin-top: 1;
        text-style: bold underline;
    }

    #activation-plot {
        height: 16;
        margin-top: 1;
    }

    #empty {
        margin-bottom: 1;
    }

    #study-body Button {
        margin-bottom: 1;
    }

    #study-progress {
        height: 1;
        padding: 0 1;
    }

    #progress-label {
        width: auto;
        padding-right: 2;
    }

    #progress-bar Bar {
        width: 1fr;
    }

    #progress-bar {
        width: 1fr;
    }
"""

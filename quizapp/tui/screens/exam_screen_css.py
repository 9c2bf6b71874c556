"""The styles of the exam screen (kept beside it so that the screen works in any App,
also without quizapp's app.tcss): the layout, and the narrow (-narrow: a second key line,
a smaller grid) and tiny (-tiny: no grid, a notice) variants."""

EXAM_SCREEN_CSS = """
    ExamScreen #exam-bottom {
        dock: bottom;
        height: auto;
    }
    ExamScreen #exam-bottom Footer {
        dock: none;
    }
    ExamScreen #exam-keys {
        display: none;
        height: 1;
        padding: 0 1;
        background: $footer-background;
    }
    ExamScreen.-narrow #exam-keys {
        display: block;
    }
    ExamScreen.-narrow #exam-side {
        width: 34;
    }
    ExamScreen.-narrow QuestionGrid Grid {
        grid-size: 5;
    }
    ExamScreen.-narrow #exam-question {
        padding: 0 1;
    }
    ExamScreen #exam-too-small {
        display: none;
        background: $warning 30%;
        height: auto;
        padding: 0 1;
    }
    ExamScreen.-tiny #exam-too-small {
        display: block;
    }
    ExamScreen.-tiny #exam-side {
        display: none;
    }
    ExamScreen #exam-top {
        dock: top;
        height: 1;
        background: $panel;
    }
    ExamScreen #exam-heading {
        width: 1fr;
        padding: 0 1;
        text-style: bold;
    }
    ExamScreen #exam-main {
        height: 1fr;
    }
    ExamScreen #exam-question {
        width: 1fr;
        padding: 1 2;
    }
    ExamScreen #exam-item-head {
        color: $text-muted;
        margin-bottom: 1;
    }
    ExamScreen #exam-prompt {
        margin-bottom: 1;
    }
    ExamScreen #exam-code {
        background: $boost;
        padding: 0 1;
        margin-bottom: 1;
    }
    ExamScreen #exam-options {
        height: auto;
    }
    ExamScreen #exam-multi {
        color: $warning;
        margin-bottom: 1;
    }
    ExamScreen #exam-side {
        width: 42;
        padding: 1 1;
        border-left: vkey $panel-lighten-1;
    }
    ExamScreen #exam-legend, ExamScreen #exam-notes {
        margin-top: 1;
        color: $text-muted;
    }
"""

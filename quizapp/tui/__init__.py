"""The Textual interface: ``app.py`` (composition, bindings, routing), ``screens/``,
``widgets/`` and one stylesheet ``app.tcss``. It calls the core and shows what it returns."""

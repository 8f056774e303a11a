"""The Textual app: screens, widgets, view models, launch and the history keeper."""

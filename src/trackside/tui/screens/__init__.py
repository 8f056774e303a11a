"""The app's screens, one a module: picker, ready, session, summary, and the small dialogs."""

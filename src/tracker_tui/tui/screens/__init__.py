"""The app's screens, one module each.

Import a screen from its own module. Start-up imports only what the first screen needs
(main_screen, and confirm_screen for a quit with unsaved changes); every other screen is
imported where a key opens it, when first used, to keep it off start-up.
"""

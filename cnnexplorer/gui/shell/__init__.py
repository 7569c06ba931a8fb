"""The application shell: main window, menus, HUD, About, course map, error dialogs, collector."""

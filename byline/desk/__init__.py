"""The writer's desk at /wp-admin/: dashboard, posts, the editor, media, comments, accounts."""

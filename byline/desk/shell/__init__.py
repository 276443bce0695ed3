"""The desk around the editor: sign-in, dashboard, posts list, media library, comments, accounts."""

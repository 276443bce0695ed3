"""The post editor: post-new.php and post.php?post=ID&action=edit."""

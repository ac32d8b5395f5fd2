"""What readers and editors do to published comments besides moderating them: the
author's edits and deletions, readers' recommendations, editors' picks."""

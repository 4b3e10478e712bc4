"""Understanding Chinese: one text pipeline, intent matching, slot extraction. No knowledge of answers."""

"""Notices for awareness (普及啓発): an admin sends one text to the parents chosen by stage, area
and language, by LINE's multicast in batches of 500, after checking the month's quota."""

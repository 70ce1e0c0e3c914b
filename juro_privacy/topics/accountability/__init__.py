"""topics/accountability"""

"""topics/retention"""

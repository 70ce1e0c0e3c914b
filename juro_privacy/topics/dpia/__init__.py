"""topics/dpia"""

"""topics/flows"""

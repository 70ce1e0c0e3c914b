"""topics/requests"""

"""topics/register"""

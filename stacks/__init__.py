"""Pulumi components for one Kratos environment, one concern per module.

Kept import-free so light modules (chart facts, UI build values) load without the Pulumi SDK.
"""

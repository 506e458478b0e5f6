from django.apps import AppConfig


class SafetynetConfig(AppConfig):
    name = "safetynet"

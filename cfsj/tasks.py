from celery import shared_task


@shared_task(name="cfsj.ping")
def ping() -> str:
    """Proves the wiring end to end: a worker picked the message up and stored a result."""
    return "pong"

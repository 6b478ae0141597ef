"""The deployment operator's console (``/operator/`` at the deployment's own address)."""
from .views import init_app

__all__ = ["init_app"]

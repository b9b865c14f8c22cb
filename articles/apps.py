from django.apps import AppConfig


class ArticlesConfig(AppConfig):
    name = "articles"
    verbose_name = "Articles"

    def ready(self) -> None:
        # Services send tasks by name (articles.work): register them in every process, the
        # web's included, where the embedded setup runs them eagerly.
        from articles import tasks  # noqa: F401

"""History is never deleted from the admin: people leave a team (their membership ends), sessions
are cancelled, cities withdraw, cohorts are archived, and a person's data is erased in place
(`accelerator.people_data.person_erase`). Admin classes of models that history needs take
this mixin, so the admin offers no "Delete" button or action for them, to anyone."""


class KeepsHistory:
    def has_delete_permission(self, request, obj=None):
        return False

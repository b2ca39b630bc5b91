"""The log takes the engine's names (config.workflow.TransitionLog): from_state, to_state, user,
at; `via` becomes one of its three choices."""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("prescription", "0002_personne_cle_transliterated"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RenameField("transition", "de", "from_state"),
        migrations.RenameField("transition", "vers", "to_state"),
        migrations.RenameField("transition", "par", "user"),
        migrations.RenameField("transition", "le", "at"),
        migrations.AlterModelOptions(
            name='transition',
            options={'ordering': ['at', 'pk']},
        ),
        migrations.AlterField(
            model_name='transition',
            name='at',
            field=models.DateTimeField(default=django.utils.timezone.now, verbose_name='le'),
        ),
        migrations.AlterField(
            model_name='transition',
            name='from_state',
            field=models.CharField(choices=[('brouillon', 'Brouillon'), ('envoyee', 'Envoyée'), ('a-l-etude', "À l'étude"), ('acceptee', 'Acceptée'), ('refusee', 'Refusée'), ('expiree', 'Expirée'), ('annulee', 'Annulée'), ('rdv-fixe', 'Rendez-vous fixé'), ('personne-recue', 'Personne reçue'), ('personne-absente', 'Personne absente')], max_length=20, verbose_name='état de départ'),
        ),
        migrations.AlterField(
            model_name='transition',
            name='to_state',
            field=models.CharField(choices=[('brouillon', 'Brouillon'), ('envoyee', 'Envoyée'), ('a-l-etude', "À l'étude"), ('acceptee', 'Acceptée'), ('refusee', 'Refusée'), ('expiree', 'Expirée'), ('annulee', 'Annulée'), ('rdv-fixe', 'Rendez-vous fixé'), ('personne-recue', 'Personne reçue'), ('personne-absente', 'Personne absente')], max_length=20, verbose_name="état d'arrivée"),
        ),
        migrations.AlterField(
            model_name='transition',
            name='user',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='par'),
        ),
        migrations.AlterField(
            model_name='transition',
            name='via',
            field=models.CharField(choices=[('compte', 'Compte'), ('lien signé', 'Lien signé'), ('système', 'Système')], max_length=20),
        ),
    ]

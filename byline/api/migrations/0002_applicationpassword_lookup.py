from django.db import migrations, models


class Migration(migrations.Migration):
    """A keyed lookup beside each hash. Rows made before it keep an empty lookup: the clear
    password is not known here, so `passwords.authenticate` fills it in on the row's first use."""

    dependencies = [
        ("api", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="applicationpassword",
            name="lookup",
            field=models.CharField(blank=True, db_index=True, default="", editable=False, max_length=64),
        ),
    ]

from decimal import Decimal

import factory

from accounts.models import Team
from compounds.models import Compound, CompoundNutrient, Nutrient, ReferenceValue
from formulator.models import Product, ProductLine


class NutrientFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Nutrient
        django_get_or_create = ["slug"]

    slug = factory.Sequence(lambda n: f"nutrient-{n}")
    name = factory.Sequence(lambda n: f"Nutrient {n}")
    formula = ""


class CompoundFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Compound

    name = factory.Sequence(lambda n: f"Test compound {n}")
    slug = factory.Sequence(lambda n: f"test-compound-{n}")
    formula = "MgO"
    form_class = Compound.FormClass.INORGANIC_SALT


class CompoundNutrientFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CompoundNutrient

    compound = factory.SubFactory(CompoundFactory)
    nutrient = factory.LazyFunction(lambda: Nutrient.objects.get(slug="magnesium"))


class ProductFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Product

    name = factory.Sequence(lambda n: f"Test product {n}")
    slug = factory.Sequence(lambda n: f"test-product-{n}")
    markets = ["US", "EU"]
    team = factory.LazyFunction(lambda: Team.objects.get(slug="ntrpx-labs"))


class ProductLineFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProductLine

    product = factory.SubFactory(ProductFactory)
    compound = factory.LazyFunction(lambda: Compound.objects.get(slug="magnesium-oxide"))
    amount = Decimal(500)
    unit = "mg"


class ReferenceValueFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ReferenceValue

    nutrient = factory.LazyFunction(lambda: Nutrient.objects.get(slug="magnesium"))
    kind = "UL"
    market = "US"
    population = "adult"
    amount_mg = Decimal(350)
    source_citation = "Test source"

from rest_framework import generics

from cases.api.serializers import CategorySerializer
from cases.selectors import categories_active


class CategoryListView(generics.ListAPIView):
    serializer_class = CategorySerializer

    def get_queryset(self):
        return categories_active()

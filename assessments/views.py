from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, render

from .models import Assessment


@login_required
def report(request, pk):
    assessment = get_object_or_404(Assessment.objects.visible_to(request.user).submitted(), pk=pk)
    return render(request, "assessments/report.html", {"assessment": assessment})

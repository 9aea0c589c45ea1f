app_name = "replication"

urlpatterns = []

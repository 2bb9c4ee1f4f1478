"""Back office of the grants app, one module per topic; every registration is here."""

from django.contrib import admin

from ..models import (
    Activity,
    Agreement,
    AgreementStatusChange,
    Application,
    ApplicationAttachment,
    ApplicationStatusChange,
    BudgetLine,
    Disbursement,
    DisbursementStatusChange,
    Indicator,
    Initiative,
    InitiativeExtension,
    InitiativeStatusChange,
    LightApplication,
    LightDeclineReason,
    LightPhoto,
    LightStatusChange,
    LineOfAction,
    PaymentBatch,
    PaymentFileLayout,
    PublicLineOfAction,
    Review,
    ReviewAssignment,
    ReviewScore,
)
from .agreements import AgreementAdmin, AgreementStatusChangeAdmin
from .applications import (
    ApplicationAdmin,
    ApplicationAttachmentAdmin,
    ApplicationStatusChangeAdmin,
)
from .initiatives import (
    ActivityAdmin,
    BudgetLineAdmin,
    IndicatorAdmin,
    InitiativeAdmin,
    InitiativeExtensionAdmin,
    InitiativeStatusChangeAdmin,
    LineOfActionAdmin,
    PublicLineOfActionAdmin,
)
from .light import (
    LightApplicationAdmin,
    LightDeclineReasonAdmin,
    LightPhotoAdmin,
    LightStatusChangeAdmin,
    PaymentBatchAdmin,
    PaymentFileLayoutAdmin,
)
from .payments import DisbursementAdmin, DisbursementStatusChangeAdmin
from .review import ReviewAdmin, ReviewAssignmentAdmin, ReviewScoreAdmin

admin.site.register(Application, ApplicationAdmin)
admin.site.register(ApplicationAttachment, ApplicationAttachmentAdmin)
admin.site.register(ApplicationStatusChange, ApplicationStatusChangeAdmin)
admin.site.register(ReviewAssignment, ReviewAssignmentAdmin)
admin.site.register(Review, ReviewAdmin)
admin.site.register(ReviewScore, ReviewScoreAdmin)
admin.site.register(Initiative, InitiativeAdmin)
admin.site.register(InitiativeStatusChange, InitiativeStatusChangeAdmin)
admin.site.register(InitiativeExtension, InitiativeExtensionAdmin)
admin.site.register(LineOfAction, LineOfActionAdmin)
admin.site.register(PublicLineOfAction, PublicLineOfActionAdmin)
admin.site.register(Activity, ActivityAdmin)
admin.site.register(Indicator, IndicatorAdmin)
admin.site.register(BudgetLine, BudgetLineAdmin)
admin.site.register(Disbursement, DisbursementAdmin)
admin.site.register(DisbursementStatusChange, DisbursementStatusChangeAdmin)
admin.site.register(Agreement, AgreementAdmin)
admin.site.register(AgreementStatusChange, AgreementStatusChangeAdmin)
admin.site.register(LightApplication, LightApplicationAdmin)
admin.site.register(LightStatusChange, LightStatusChangeAdmin)
admin.site.register(LightDeclineReason, LightDeclineReasonAdmin)
admin.site.register(LightPhoto, LightPhotoAdmin)
admin.site.register(PaymentFileLayout, PaymentFileLayoutAdmin)
admin.site.register(PaymentBatch, PaymentBatchAdmin)

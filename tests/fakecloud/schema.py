"""The Graph v1.0 entity types the fake serves: which names are properties, which are
navigation properties, which are collections, and what Graph returns without $select.

The lists follow microsoftgraph/msgraph-metadata (clean_v10_metadata) closely enough that a client
selecting a real property is never refused, while a misspelt one gets Graph's 400, as the real
service does.  /_fake/ fixtures may carry other keys; those are stored but never served as plain
properties unless they are listed here or are directory extensions (extension_<appId>_<name>).
"""

import re

EXTENSION_RE = re.compile(r"^extension_[0-9a-fA-F]{32}_[A-Za-z0-9_]+$")


class EntityType:
    """One Graph entity type as far as the fake needs it."""

    def __init__(self, name, entity_set, props, collections=(), complexes=(),
                 navs=(), default_select=None):
        self.name = name                                # orgContact
        self.odata_type = "#microsoft.graph." + name    # the @odata.type annotation
        self.qualified = "microsoft.graph." + name      # the name in error messages
        self.entity_set = entity_set                    # contacts
        self.props = ("id",) + tuple(props)
        self.collections = frozenset(collections)
        self.complexes = dict(complexes)                # name -> member names
        self.navs = frozenset(navs)
        self.default_select = default_select            # None: every property in self.props
        self._by_lower = {p.lower(): p for p in self.props}
        self._navs_lower = {n.lower(): n for n in self.navs}

    def canonical(self, name):
        """Graph matches property names case-insensitively and answers with its own spelling."""
        if EXTENSION_RE.match(name):
            return name
        return self._by_lower.get(name.lower())

    def nav(self, name):
        return self._navs_lower.get(name.lower())

    def empty_value(self, prop):
        """What Graph serves for a selected property that has no value."""
        if prop in self.collections:
            return []
        if prop in self.complexes:
            return {m: None for m in self.complexes[prop]}
        return None


_EXT_ATTRS = tuple("extensionAttribute%d" % i for i in range(1, 16))

USER = EntityType(
    "user", "users",
    props=(
        "deletedDateTime", "aboutMe", "accountEnabled", "ageGroup", "assignedLicenses",
        "assignedPlans", "authorizationInfo", "birthday", "businessPhones", "city",
        "companyName", "consentProvidedForMinor", "country", "createdDateTime", "creationType",
        "customSecurityAttributes", "department", "displayName", "employeeHireDate",
        "employeeId", "employeeLeaveDateTime", "employeeOrgData", "employeeType",
        "externalUserState", "externalUserStateChangeDateTime", "faxNumber", "givenName",
        "hireDate", "identities", "imAddresses", "interests", "isManagementRestricted",
        "isResourceAccount", "jobTitle", "lastPasswordChangeDateTime",
        "legalAgeGroupClassification", "licenseAssignmentStates", "mail", "mailboxSettings",
        "mailNickname", "mobilePhone", "mySite", "officeLocation",
        "onPremisesDistinguishedName", "onPremisesDomainName", "onPremisesExtensionAttributes",
        "onPremisesImmutableId", "onPremisesLastSyncDateTime", "onPremisesProvisioningErrors",
        "onPremisesSamAccountName", "onPremisesSecurityIdentifier", "onPremisesSyncEnabled",
        "onPremisesUserPrincipalName", "otherMails", "passwordPolicies", "passwordProfile",
        "pastProjects", "postalCode", "preferredDataLocation", "preferredLanguage",
        "preferredName", "provisionedPlans", "proxyAddresses", "responsibilities", "schools",
        "securityIdentifier", "serviceProvisioningErrors", "showInAddressList",
        "signInActivity", "signInSessionsValidFromDateTime", "skills", "state",
        "streetAddress", "surname", "usageLocation", "userPrincipalName", "userType",
    ),
    collections=(
        "assignedLicenses", "assignedPlans", "businessPhones", "identities", "imAddresses",
        "interests", "licenseAssignmentStates", "onPremisesProvisioningErrors", "otherMails",
        "pastProjects", "provisionedPlans", "proxyAddresses", "responsibilities", "schools",
        "serviceProvisioningErrors", "skills",
    ),
    complexes={"onPremisesExtensionAttributes": _EXT_ATTRS},
    navs=(
        "manager", "directReports", "memberOf", "transitiveMemberOf", "ownedObjects",
        "registeredDevices", "ownedDevices", "createdObjects", "onPremisesSyncBehavior",
        "mailFolders", "messages", "calendar", "events", "drive", "photo", "extensions",
        "licenseDetails", "scopedRoleMemberOf", "appRoleAssignments",
    ),
    # GET /users without $select: Graph's documented default set.
    default_select=(
        "businessPhones", "displayName", "givenName", "jobTitle", "mail", "mobilePhone",
        "officeLocation", "preferredLanguage", "surname", "userPrincipalName",
    ),
)

GROUP = EntityType(
    "group", "groups",
    props=(
        "deletedDateTime", "allowExternalSenders", "assignedLabels", "assignedLicenses",
        "autoSubscribeNewMembers", "classification", "createdDateTime", "creationOptions",
        "description", "displayName", "expirationDateTime", "groupTypes",
        "hasMembersWithLicenseErrors", "hideFromAddressLists", "hideFromOutlookClients",
        "isArchived", "isAssignableToRole", "isManagementRestricted", "isSubscribedByMail",
        "licenseProcessingState", "mail", "mailEnabled", "mailNickname", "membershipRule",
        "membershipRuleProcessingState", "onPremisesDomainName", "onPremisesLastSyncDateTime",
        "onPremisesNetBiosName", "onPremisesProvisioningErrors", "onPremisesSamAccountName",
        "onPremisesSecurityIdentifier", "onPremisesSyncEnabled", "preferredDataLocation",
        "preferredLanguage", "proxyAddresses", "renewedDateTime", "resourceBehaviorOptions",
        "resourceProvisioningOptions", "securityEnabled", "securityIdentifier",
        "serviceProvisioningErrors", "theme", "uniqueName", "unseenCount", "visibility",
    ),
    collections=(
        "assignedLabels", "assignedLicenses", "creationOptions", "groupTypes",
        "onPremisesProvisioningErrors", "proxyAddresses", "resourceBehaviorOptions",
        "resourceProvisioningOptions", "serviceProvisioningErrors",
    ),
    navs=(
        "members", "owners", "memberOf", "transitiveMembers", "transitiveMemberOf",
        "membersWithLicenseErrors", "onPremisesSyncBehavior", "createdOnBehalfOf",
        "appRoleAssignments", "extensions", "photo", "drive", "settings",
    ),
    # GET /groups without $select returns most scalar properties (not the Outlook ones).
    default_select=(
        "deletedDateTime", "classification", "createdDateTime", "creationOptions",
        "description", "displayName", "expirationDateTime", "groupTypes",
        "isAssignableToRole", "mail", "mailEnabled", "mailNickname", "membershipRule",
        "membershipRuleProcessingState", "onPremisesDomainName", "onPremisesLastSyncDateTime",
        "onPremisesNetBiosName", "onPremisesSamAccountName", "onPremisesSecurityIdentifier",
        "onPremisesSyncEnabled", "preferredDataLocation", "preferredLanguage", "proxyAddresses",
        "renewedDateTime", "resourceBehaviorOptions", "resourceProvisioningOptions",
        "securityEnabled", "securityIdentifier", "theme", "uniqueName", "visibility",
        "onPremisesProvisioningErrors", "serviceProvisioningErrors",
    ),
)

CONTACT = EntityType(
    "orgContact", "contacts",
    props=(
        "deletedDateTime", "addresses", "companyName", "department", "displayName",
        "givenName", "jobTitle", "mail", "mailNickname", "onPremisesLastSyncDateTime",
        "onPremisesProvisioningErrors", "onPremisesSyncEnabled", "phones", "proxyAddresses",
        "serviceProvisioningErrors", "surname",
    ),
    collections=(
        "addresses", "phones", "proxyAddresses", "onPremisesProvisioningErrors",
        "serviceProvisioningErrors",
    ),
    navs=("manager", "directReports", "memberOf", "transitiveMemberOf", "onPremisesSyncBehavior"),
)

DEVICE = EntityType(
    "device", "devices",
    props=(
        "deletedDateTime", "accountEnabled", "approximateLastSignInDateTime", "deviceId",
        "displayName", "isCompliant", "isManaged", "onPremisesLastSyncDateTime",
        "onPremisesSecurityIdentifier", "onPremisesSyncEnabled", "operatingSystem",
        "operatingSystemVersion", "physicalIds", "profileType", "trustType",
    ),
    collections=("physicalIds",),
    navs=("memberOf", "transitiveMemberOf", "registeredOwners", "registeredUsers"),
)

SERVICE_PRINCIPAL = EntityType(
    "servicePrincipal", "servicePrincipals",
    props=(
        "deletedDateTime", "accountEnabled", "appDisplayName", "appId", "appOwnerOrganizationId",
        "description", "displayName", "servicePrincipalNames", "servicePrincipalType", "tags",
    ),
    collections=("servicePrincipalNames", "tags"),
    navs=("memberOf", "transitiveMemberOf", "owners", "appRoleAssignments"),
)

# Fixture array name -> type.  The fixture uses the entity set names, so do the URLs.
BY_SET = {t.entity_set: t for t in (USER, GROUP, CONTACT, DEVICE, SERVICE_PRINCIPAL)}

# Members are directoryObjects: a $select on /members may name a property of any member type.
DIRECTORY_OBJECT = EntityType(
    "directoryObject", "directoryObjects",
    props=tuple(sorted({p for t in BY_SET.values() for p in t.props if p != "id"})),
)

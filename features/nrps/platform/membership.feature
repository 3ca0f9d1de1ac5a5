Feature: Names and Role Provisioning Services: the course roster
  Plugfest plays the tool. It reads the names and roles claim of a launch and calls the
  membership URL with a token for the membership scope (NRPS §2, §3.6.1).

  @req:NRPS-PLAT-CLAIM-001 @must @spec:lti-nrps-2.0#3.6.1.1
  Scenario: A launch from the course names the roster service
    Given the platform's "instructor" launch
    Then the launch carries the names and roles claim

  @req:NRPS-PLAT-001 @must @spec:lti-nrps-2.0#2.1
  Scenario: The roster is served in the membership container media type
    Given the platform's "instructor" launch
    When Plugfest reads the course roster
    Then the roster is served as "application/vnd.ims.lti-nrps.v2.membershipcontainer+json"

  @req:NRPS-PLAT-002 @must @spec:lti-nrps-2.0#2.2
  Scenario: The roster names its course and each member's user ID and roles
    Given the platform's "instructor" launch
    When Plugfest reads the course roster
    Then the roster names the launch's course and each member's user ID and roles

  @req:NRPS-PLAT-003 @must @spec:lti-nrps-2.0#2.2
  Scenario: The launching user is in the roster under the launch's subject
    Given the platform's "instructor" launch
    When Plugfest reads the course roster
    Then the launching user is in the roster

  @req:NRPS-PLAT-004 @must @spec:lti-nrps-2.0#2.2
  Scenario: Members' roles are LTI roles
    Given the platform's "instructor" launch
    When Plugfest reads the course roster
    Then every member's roles are LTI role URIs or simple context role names

  @req:NRPS-PLAT-005 @must @spec:lti-nrps-2.0#2.4.2
  Scenario: A paged roster links each page to the next
    Given the platform's "instructor" launch
    When Plugfest reads the course roster 1 member at a time
    Then each partial page links to the next and every member is reached

  @req:NRPS-PLAT-006 @may @spec:lti-nrps-2.0#2.4.3
  Scenario: A differences link, when offered, leads to a membership container
    Given the platform's "instructor" launch
    When Plugfest reads the course roster
    Then the differences link, when offered, leads to a membership container

  @req:NRPS-PLAT-007 @must @spec:lti-nrps-2.0#2.4.1
  Scenario: A role filter returns only members with that role
    Given the platform's "instructor" launch
    When Plugfest reads the course roster filtered to the role "http://purl.imsglobal.org/vocab/lis/v2/membership#Learner"
    Then only members with that role are listed

  @req:NRPS-PLAT-008 @must @spec:lti-nrps-2.0#3.6.1.2
  Scenario: The roster is refused to a token without the membership scope
    Given the platform's "instructor" launch
    When Plugfest reads the course roster with a token for "score" only
    Then the platform refuses the roster

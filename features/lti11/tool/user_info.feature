Feature: Launches with less information about the user are accepted
  The legacy LTI certification's section 4: a consumer may withhold names, email or context;
  only resource_link_id is required.

  Background:
    Given the tool provider's answers to launches can be read

  @req:LTI11-TP-INFO-001 @must @spec:lti-1.1-ig#basic-launch-data
  Scenario: An email address but no name
    Given a learner launch on resource link "A"
    And the launch has no "lis_person_name_given, lis_person_name_family, lis_person_name_full"
    When the launch is posted to the tool provider
    Then the tool provider accepts the launch

  @req:LTI11-TP-INFO-002 @must @spec:lti-1.1-ig#basic-launch-data
  Scenario: Given and family names without a full name
    Given a learner launch on resource link "A"
    And the launch has no "lis_person_name_full"
    When the launch is posted to the tool provider
    Then the tool provider accepts the launch

  @req:LTI11-TP-INFO-003 @must @spec:lti-1.1-ig#basic-launch-data
  Scenario: A full name without given and family names
    Given a learner launch on resource link "A"
    And the launch has no "lis_person_name_given, lis_person_name_family"
    When the launch is posted to the tool provider
    Then the tool provider accepts the launch

  @req:LTI11-TP-INFO-004 @must @spec:lti-1.1-ig#basic-launch-data
  Scenario: An instructor with no personal information
    Given an instructor launch on resource link "A"
    And the launch has no "lis_person_name_given, lis_person_name_family, lis_person_name_full, lis_person_contact_email_primary"
    When the launch is posted to the tool provider
    Then the tool provider accepts the launch

  @req:LTI11-TP-INFO-005 @must @spec:lti-1.1-ig#basic-launch-data
  Scenario: An instructor with only a context_id
    Given an instructor launch on resource link "A"
    And the launch has no "lis_person_name_given, lis_person_name_family, lis_person_name_full, lis_person_contact_email_primary, context_title, context_label, context_type"
    When the launch is posted to the tool provider
    Then the tool provider accepts the launch

  @req:LTI11-TP-INFO-006 @must @spec:lti-1.1-ig#basic-launch-data
  Scenario: No context information
    Given a learner launch on resource link "A"
    And the launch has no "context_id, context_title, context_label, context_type"
    When the launch is posted to the tool provider
    Then the tool provider accepts the launch

  @req:LTI11-TP-INFO-007 @must @spec:lti-1.1-cert#4.7
  Scenario: Only the required parameters
    Given a launch with only the required parameters on resource link "A"
    When the launch is posted to the tool provider
    Then the tool provider accepts the launch or refuses it cleanly

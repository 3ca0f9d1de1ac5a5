Feature: Launches with every form of role are accepted
  The legacy LTI certification's section 3: roles as full URNs, as lists, as simple names,
  institution roles only, no role at all and a role from no vocabulary. A tool may treat an
  unknown role as a guest, but it must not fail.

  Background:
    Given the tool provider's answers to launches can be read

  @req:LTI11-TP-ROLE-001 @must @spec:lti-1.1-ig#basic-launch-data
  Scenario: A full URN instructor role
    Given an instructor launch on resource link "A"
    And the launch's roles are "urn:lti:role:ims/lis/Instructor"
    When the launch is posted to the tool provider
    Then the tool provider accepts the launch

  @req:LTI11-TP-ROLE-002 @must @spec:lti-1.1-ig#basic-launch-data
  Scenario: A list of simple role names
    Given an instructor launch on resource link "A"
    And the launch's roles are "Learner,Instructor"
    When the launch is posted to the tool provider
    Then the tool provider accepts the launch

  @req:LTI11-TP-ROLE-003 @must @spec:lti-1.1-ig#basic-launch-data
  Scenario: A list of full URN roles
    Given an instructor launch on resource link "A"
    And the launch's roles are "urn:lti:role:ims/lis/Learner,urn:lti:role:ims/lis/Instructor"
    When the launch is posted to the tool provider
    Then the tool provider accepts the launch

  @req:LTI11-TP-ROLE-004 @must @spec:lti-1.1-ig#basic-launch-data
  Scenario: A learner URN role in a list with an institution role
    Given a learner launch on resource link "A"
    And the launch's roles are "urn:lti:instrole:ims/lis/Student,urn:lti:role:ims/lis/Learner"
    When the launch is posted to the tool provider
    Then the tool provider accepts the launch

  @req:LTI11-TP-ROLE-005 @must @spec:lti-1.1-ig#basic-launch-data
  Scenario: No roles parameter
    Given a learner launch on resource link "A"
    And the launch has no "roles"
    When the launch is posted to the tool provider
    Then the tool provider accepts the launch

  @req:LTI11-TP-ROLE-006 @must @spec:lti-1.1-ig#basic-launch-data
  Scenario: An institution role only
    Given a learner launch on resource link "A"
    And the launch's roles are "urn:lti:instrole:ims/lis/Learner"
    When the launch is posted to the tool provider
    Then the tool provider accepts the launch

  @req:LTI11-TP-ROLE-007 @must @spec:lti-1.1-ig#basic-launch-data
  Scenario: An institution role with no context equivalent
    Given a learner launch on resource link "A"
    And the launch's roles are "urn:lti:instrole:ims/lis/Alumni"
    When the launch is posted to the tool provider
    Then the tool provider accepts the launch

  @req:LTI11-TP-ROLE-008 @must @spec:lti-1.1-ig#basic-launch-data
  Scenario: An unrecognised role
    Given a learner launch on resource link "A"
    And the launch's roles are "NotALearner"
    When the launch is posted to the tool provider
    Then the tool provider accepts the launch

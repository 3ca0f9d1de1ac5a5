Feature: Assignment and Grade Services: line items, scores and results
  Plugfest plays the tool. It reads the AGS claim of a launch from the sandbox course, gets
  tokens for exactly the scopes each call needs, and uses the AGS media types (AGS §3.2–§3.4).
  Calls that write run only with --allow-writes and only in the configured sandbox context;
  every line item Plugfest creates is deleted again, and the clean-up is in the evidence.

  @req:AGS-PLAT-CLAIM-001 @must @spec:lti-ags-2.0#3.1
  Scenario: A launch from the course names the grade services
    Given the platform's "instructor" launch
    Then the launch carries the AGS endpoint claim

  @req:AGS-PLAT-LI-001 @must @spec:lti-ags-2.0#3.2.1
  Scenario: The course's line items are listed as a line item container
    Given the platform's "instructor" launch
    When Plugfest lists the course's line items
    Then the platform answers 200 in the media type "application/vnd.ims.lis.v2.lineitemcontainer+json" with a JSON array

  @req:AGS-PLAT-LI-002 @must @spec:lti-ags-2.0#3.2.5
  Scenario: A line item can be created
    Given the platform's "instructor" launch
    And writes are allowed in the launch's course
    When Plugfest creates a line item
    Then the platform answers 201 with the created line item and its URL

  @req:AGS-PLAT-LI-003 @must @spec:lti-ags-2.0#3.2.3
  Scenario: A created line item can be read back
    Given the platform's "instructor" launch
    And writes are allowed in the launch's course
    And Plugfest has created a line item
    When Plugfest reads the line item
    Then it is served under the same id with the resourceId and tag Plugfest gave

  @req:AGS-PLAT-LI-008 @should @spec:lti-ags-2.0#3.2.5
  Scenario: A created line item keeps the label and maximum score the tool gave
    Given the platform's "instructor" launch
    And writes are allowed in the launch's course
    And Plugfest has created a line item
    When Plugfest reads the line item
    Then it has the label and maximum score Plugfest gave

  @req:AGS-PLAT-LI-004 @must @spec:lti-ags-2.0#3.2.6
  Scenario: A line item can be updated; it keeps its id and the answer is the definition as applied
    Given the platform's "instructor" launch
    And writes are allowed in the launch's course
    And Plugfest has created a line item
    When Plugfest renames the line item
    Then the line item keeps its id and the answer is the definition as applied

  @req:AGS-PLAT-LI-005 @must @spec:lti-ags-2.0#3.2
  Scenario: A line item can be deleted
    Given the platform's "instructor" launch
    And writes are allowed in the launch's course
    And Plugfest has created a line item
    When Plugfest deletes the line item
    Then the line item is gone

  @req:AGS-PLAT-LI-006 @should @spec:lti-ags-2.0#3.2.1
  Scenario: A line item sent with the wrong content type is refused with 415
    Given the platform's "instructor" launch
    And writes are allowed in the launch's course
    When Plugfest creates a line item sent as "application/json"
    Then the platform answers 415 Unsupported Media Type

  @req:AGS-PLAT-LI-007 @should @spec:lti-ags-2.0#3.2.1
  Scenario: Line items asked for in a media type the service does not serve are refused with 406
    Given the platform's "instructor" launch
    When Plugfest lists the course's line items accepting only "application/xml"
    Then the platform answers 406 Not Acceptable

  @req:AGS-PLAT-SCORE-001 @must @spec:lti-ags-2.0#3.4
  Scenario: A score can be posted for a student
    Given the platform's "instructor" launch
    And the platform's "student" launch
    And writes are allowed in the launch's course
    And Plugfest has created a line item
    When Plugfest posts a score of 7 out of 10 for the student
    Then the platform accepts the score

  @req:AGS-PLAT-SCORE-002 @must @spec:lti-ags-2.0#3.4.9
  Scenario: An older score does not overwrite a newer one
    Given the platform's "instructor" launch
    And the platform's "student" launch
    And writes are allowed in the launch's course
    And Plugfest has created a line item
    And Plugfest has posted a score of 8 out of 10 for the student
    When Plugfest posts a score of 3 out of 10 for the student with an earlier timestamp
    Then the student's result is still 8

  @req:AGS-PLAT-RES-001 @must @spec:lti-ags-2.0#3.3.4
  Scenario: The results of a line item show the posted score
    Given the platform's "instructor" launch
    And the platform's "student" launch
    And writes are allowed in the launch's course
    And Plugfest has created a line item
    And Plugfest has posted a score of 7 out of 10 for the student
    When Plugfest reads the line item's results
    Then the student's result is 7 in a result container naming the line item

  @req:AGS-PLAT-SCOPE-001 @must @spec:lti-ags-2.0#3.3.2
  Scenario: A result-only token cannot delete a line item
    Given the platform's "instructor" launch
    And writes are allowed in the launch's course
    And Plugfest has created a line item
    When Plugfest tries to delete the line item with a token for "result.readonly" only
    Then the platform refuses and the line item still exists

  @req:AGS-PLAT-SCOPE-002 @must @spec:lti-ags-2.0#3.4.2
  Scenario: A score-only token cannot create a line item
    Given the platform's "instructor" launch
    And writes are allowed in the launch's course
    When Plugfest tries to create a line item with a token for "score" only
    Then the platform refuses to create it

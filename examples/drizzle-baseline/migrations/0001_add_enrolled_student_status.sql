ALTER TYPE "public"."student_status" ADD VALUE 'enrolled';
